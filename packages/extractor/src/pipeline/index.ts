export { FaceDescriptorExtractor, type FitFacesOptions } from './face-descriptor-extractor.js';
export {
  FACE_DESCRIPTOR_EXTRACTOR_DEFAULTS,
  type FaceDescriptorExtractorInit,
  type FaceDescriptorExtractorOptions,
  resolveFaceDescriptorExtractorOptions,
} from './face-descriptor-extractor-options.js';
