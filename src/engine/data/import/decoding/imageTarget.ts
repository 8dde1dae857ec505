/** The size and channels every image of an import becomes: one uint8 record of height * width * channels bytes. */
export interface ImageTarget {
  height: number;
  width: number;
  channels: 1 | 3;
}

export const recordBytesOf = (target: ImageTarget): number => target.height * target.width * target.channels;
