export { DEFAULT_MODEL_DIR, MODEL_FILES, type ModelKind } from './model-files.js';
