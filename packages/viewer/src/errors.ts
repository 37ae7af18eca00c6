/**
 * Errors of @semface/viewer. Every error carries a stable `code` (documented in docs/errors.md).
 */

/** Base class of every error thrown by @semface/viewer. */
export class ViewerError extends Error {
  /** Stable machine-readable code, `SEMFACE_ERR_*`. */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

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
