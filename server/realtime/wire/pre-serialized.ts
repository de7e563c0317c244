import * as parser from 'socket.io-parser';

/**
 * A value already serialized as JSON, for an event argument that many readers receive unchanged
 * (a replay of missed changes): the encoder below splices `json` into the packet as it is, so
 * the server serializes it once instead of once per reader. The wire format is plain Socket.IO;
 * clients see an ordinary JSON argument.
 */
export class PreSerialized {
  constructor(readonly json: string) {}
}

class Encoder extends parser.Encoder {
  override encode(packet: parser.Packet): ReturnType<parser.Encoder['encode']> {
    const args: unknown = packet.data;
    if ((packet.type === parser.PacketType.EVENT || packet.type === parser.PacketType.ACK) && Array.isArray(args) && args.some((arg) => arg instanceof PreSerialized)) {
      // Same layout as socket.io-parser's encodeAsString: type, namespace unless '/', ack id, JSON array.
      const nsp = packet.nsp && packet.nsp !== '/' ? `${packet.nsp},` : '';
      const items = args.map((arg) => (arg instanceof PreSerialized ? arg.json : JSON.stringify(arg)));
      return [`${packet.type}${nsp}${packet.id ?? ''}[${items.join(',')}]`];
    }
    return super.encode(packet);
  }
}

/** socket.io-parser with an encoder that understands PreSerialized; decoding is unchanged. */
export const preSerializedParser = { ...parser, Encoder };
