import { Profile } from '@semface/codec-core/layout';
import type { DescriptorEvent, DescriptorHead } from '../room/events.js';
import type { ExpressionResult, ReceiverHeads } from './receiver-heads.js';

/** What {@link understandingHead} reports for one decoded descriptor. */
export interface Understanding {
  readonly event: DescriptorEvent;
  /** Present when the frame's profile carries the expression fields. */
  readonly expression?: ExpressionResult;
  /** Present when the frame's profile carries the identity fields. */
  readonly verificationVector?: Float32Array;
}

const carries = (profile: DescriptorEvent['profile'], field: 'expression' | 'identity') =>
  (Profile[profile] as readonly string[]).includes(field);

/**
 * A room head (`room.attachHead(...)`) that runs the receiver heads on every decoded descriptor whose
 * profile carries their fields and hands the results to `onResult`. Inference runs one frame at a time
 * off the event path; when frames arrive faster, only the newest waiting frame per participant stream
 * is kept (late results are worth less than fresh ones).
 */
export function understandingHead(
  heads: Pick<ReceiverHeads, 'expression' | 'verificationVector'>,
  onResult: (u: Understanding) => void,
  onError: (err: unknown) => void = () => {},
): DescriptorHead {
  const waiting = new Map<string, DescriptorEvent>();
  let running = false;
  let disposed = false;
  const pump = async (): Promise<void> => {
    running = true;
    while (!disposed && waiting.size > 0) {
      const [key, event] = waiting.entries().next().value as [string, DescriptorEvent];
      waiting.delete(key);
      try {
        const expression = carries(event.profile, 'expression')
          ? await heads.expression(event.descriptor)
          : undefined;
        const verificationVector = carries(event.profile, 'identity')
          ? await heads.verificationVector(event.descriptor)
          : undefined;
        if (!disposed) {
          onResult({
            event,
            ...(expression ? { expression } : {}),
            ...(verificationVector ? { verificationVector } : {}),
          });
        }
      } catch (err) {
        onError(err);
      }
    }
    running = false;
  };
  return {
    name: 'receiver-heads',
    onDescriptor(event) {
      waiting.set(`${event.participantId}/${event.stream}`, event);
      if (!running) void pump();
    },
    dispose() {
      disposed = true;
      waiting.clear();
    },
  };
}
