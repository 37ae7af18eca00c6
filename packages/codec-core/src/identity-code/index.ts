export * from './model.js';
export * from './codec.js';
export { goldenEmbeddings } from './golden-inputs.js';
export { DEFAULT_IDENTITY_CODE_MODEL_PATH, loadIdentityCodeModel } from './node.js';
