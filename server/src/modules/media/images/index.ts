export {
  DEFAULT_EXIF_UTC_OFFSET_MINUTES,
  DEFAULT_MAX_BYTES,
  DEFAULT_MAX_EDGE,
  DEFAULT_MAX_PIXELS,
  ImageRejected,
  THUMB_EDGE,
  canDecodeHeic,
  processImage,
  sniffImageType,
} from './process-image.js';
export type { ImageErrorCode, ProcessImageOptions, ProcessedImage } from './process-image.js';
