/**
 * Errors of @semface/viewer. Every error carries a stable `code` (documented in docs/errors.md).
 */
import { SemfaceError } from '@semface/protocol/errors';

/** Base class of every error thrown by @semface/viewer. */
export class ViewerError extends SemfaceError {}

/** The demo input has nothing to play (no image or video found, or no face in any image). */
export class DemoInputError extends ViewerError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('SEMFACE_ERR_DEMO_INPUT', message, options);
  }
}

/** The codec models the demo needs are not installed. */
export class DemoModelsMissingError extends ViewerError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('SEMFACE_ERR_DEMO_MODELS_MISSING', message, options);
  }
}

/** A message between the viewer page and the demo server is malformed. */
export class ViewerMessageError extends ViewerError {
  constructor(message: string) {
    super('SEMFACE_ERR_VIEWER_MESSAGE', message);
  }
}

/** The page's own decoder (browser decode mode) could not start: face model missing or malformed. */
export class BrowserDecodeError extends ViewerError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('SEMFACE_ERR_VIEWER_BROWSER_DECODE', message, options);
  }
}
