/**
 * The most image bytes (uint8, all images together) an import may allocate: a declared size above it is refused
 * before any allocation, so that a corrupt or hostile header cannot exhaust the memory. 2 GiB holds CIFAR-10
 * eleven times over.
 */
export const MAX_IMAGE_BYTES = 2 * 1024 ** 3;
/** One decoded image may hold at most this many pixels (a 8,000 x 8,000 photo). */
export const MAX_PIXELS_PER_IMAGE = 64_000_000;
