/**
 * An OSC message as plain data (no packing here: the Node bridge packs with `node-osc`), so the
 * message builders run in browsers too. Values are typed: VMC and VRChat read `f` floats, and a
 * weight of exactly 0 or 1 must not go out as an int32.
 */
export interface OscMessage {
  readonly address: string;
  readonly args: readonly OscArg[];
}

/** A typed OSC argument: `f` float32, `i` int32, `s` string. */
export type OscArg =
  | { readonly type: 'f'; readonly value: number }
  | { readonly type: 'i'; readonly value: number }
  | { readonly type: 's'; readonly value: string };

/** A float argument. */
export const oscFloat = (value: number): OscArg => ({ type: 'f', value });
/** A string argument. */
export const oscString = (value: string): OscArg => ({ type: 's', value });
/** An int32 argument. */
export const oscInt = (value: number): OscArg => ({ type: 'i', value });
