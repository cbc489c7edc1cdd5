// The few host APIs the engine uses that every host (browsers, workers, Node ≥ 18) provides
// but that lib ES2022 does not declare. Nothing DOM- or Node-specific belongs here.
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean });
  decode(input?: Uint8Array): string;
}
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
