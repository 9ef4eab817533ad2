// The messages of PostgreSQL's extended protocol that run a parsed statement once: Bind (its parameters, all as
// text, NULL as length -1; the results as text), Describe of the portal, Execute of all its rows, and Sync.
// PGlite's own writer builds a Bind value by value through accessors of private fields: on PGlite that
// took about a tenth of the engine's time for a start → end instance, whose write has about a hundred
// parameters. Here the four messages are one buffer, sized first and written once.

/** Describe the unnamed portal, Execute it with no row limit, Sync */
const DESCRIBE_EXECUTE_SYNC = Buffer.from([
  0x44, 0, 0, 0, 6, 0x50, 0,
  0x45, 0, 0, 0, 9, 0, 0, 0, 0, 0,
  0x53, 0, 0, 0, 4,
]);

export function runMessage(statement: string, values: readonly (string | null)[]): Buffer {
  const sizes = values.map((v) => (v === null ? -1 : Buffer.byteLength(v)));
  // length, portal '' and the statement's name (both null-terminated), parameter format codes (none: all
  // text), the parameters' count, each parameter's length and bytes, result format codes (none: all text)
  let length = 4 + 1 + Buffer.byteLength(statement) + 1 + 2 + 2 + 2;
  for (const size of sizes) length += 4 + Math.max(size, 0);
  const message = Buffer.allocUnsafe(1 + length + DESCRIBE_EXECUTE_SYNC.length);
  let at = message.writeUInt8(0x42, 0);
  at = message.writeInt32BE(length, at);
  at = message.writeUInt8(0, at);
  at += message.write(statement, at);
  at = message.writeUInt8(0, at);
  at = message.writeInt16BE(0, at);
  at = message.writeInt16BE(values.length, at);
  values.forEach((value, i) => {
    at = message.writeInt32BE(sizes[i]!, at);
    if (value !== null) at += message.write(value, at);
  });
  at = message.writeInt16BE(0, at);
  DESCRIBE_EXECUTE_SYNC.copy(message, at);
  return message;
}
