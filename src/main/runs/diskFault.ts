import { errorCode } from './runFileSystem';

/** The file errors that say the disk, not the data, is at fault: full, over quota, failing, or read-only. */
const DISK_FAULTS = new Set(['ENOSPC', 'EDQUOT', 'EIO', 'EROFS']);

export const isDiskFault = (error: unknown): boolean => DISK_FAULTS.has(errorCode(error) ?? '');
