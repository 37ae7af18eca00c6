import {
  type FaceDescriptorSource,
  FaceDescriptorExtractor,
  type FaceFitter,
  type SidecarModel,
} from '@semface/extractor';

/** Where the models come from. */
export interface DescriptorSourceOptions {
  /** Folder of the detector/mesh/iris (and emotion/refiner) ONNX files. Default: the extractor's packaged models. */
  readonly modelDir?: string;
  /** Folder of the face model. Default: the extractor's packaged face model. */
  readonly faceModelDir?: string;
  /** A ready fitter (e.g. over an in-memory model); replaces loading from `faceModelDir`. */
  readonly fitter?: FaceFitter;
  /** Mirror-symmetric extraction (`FaceDescriptorExtractorOptions.symmetric`): 2x the cost. */
  readonly symmetric?: boolean;
  /** Expression refinement (emotion network + learned refiner on descriptor[80:144]). Default true. */
  readonly refine?: boolean;
}

/** A ready detector + fitter (+ refinement) and the ids and hashes of the files behind them. */
export interface LoadedDescriptorSource extends FaceDescriptorSource {
  readonly models: readonly SidecarModel[];
  close(): Promise<void>;
}

/** Loads a {@link FaceDescriptorExtractor} once, for a whole extraction job, with its model records. */
export async function loadDescriptorSource(
  options: DescriptorSourceOptions = {},
): Promise<LoadedDescriptorSource> {
  const extractor = await FaceDescriptorExtractor.create(options);
  try {
    const models = await extractor.modelFiles();
    return {
      descriptorLength: extractor.descriptorLength,
      models,
      extract: (frame, extractOptions) => extractor.extract(frame, extractOptions),
      close: () => extractor.dispose(),
    };
  } catch (err) {
    await extractor.dispose();
    throw err;
  }
}
