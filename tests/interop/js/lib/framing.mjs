// The stdio sync framing shared with `peat automerge sync --stdio`: a frame is a 4-byte big-endian length followed by
// that many bytes (an Automerge sync message); a zero-length frame means "nothing to send".
export const MAX_FRAME_BYTES = 256 * 1024 * 1024;

/** Async iterator over the frames of a readable stream; throws on a truncated frame or an oversized length. */
export async function* readFrames(stream, maxFrameBytes = MAX_FRAME_BYTES) {
  let buffered = Buffer.alloc(0);
  for await (const chunk of stream) {
    buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
    while (buffered.length >= 4) {
      const length = buffered.readUInt32BE(0);
      if (length > maxFrameBytes) throw new Error(`frame length ${length} exceeds the limit of ${maxFrameBytes} bytes`);
      if (buffered.length < 4 + length) break;
      yield new Uint8Array(buffered.subarray(4, 4 + length));
      buffered = buffered.subarray(4 + length);
    }
  }
  if (buffered.length > 0) throw new Error(`input ended inside a frame (${buffered.length} bytes left over)`);
}

/** Writes one frame (null or empty = "nothing to send"), resolving once the stream accepted it. */
export function writeFrame(stream, payload) {
  const body = payload ?? new Uint8Array(0);
  const frame = Buffer.alloc(4 + body.length);
  frame.writeUInt32BE(body.length, 0);
  Buffer.from(body.buffer, body.byteOffset, body.length).copy(frame, 4);
  return new Promise((resolve, reject) => stream.write(frame, (error) => (error ? reject(error) : resolve())));
}
