import * as parser from 'socket.io-parser';
import { describe, expect, it } from 'vitest';
import { PreSerialized, preSerializedParser } from './pre-serialized.js';

function decode(encoded: string): parser.Packet {
  const decoder = new parser.Decoder();
  let packet: parser.Packet | undefined;
  decoder.on('decoded', (decoded: parser.Packet) => (packet = decoded));
  decoder.add(encoded);
  return packet!;
}

describe('the parser with PreSerialized arguments', () => {
  const encoder = new preSerializedParser.Encoder();
  const standard = new parser.Encoder();
  const change = { seq: 3, type: 'entry.created', entry: { id: 1, body: 'Quote "this" </script> é 🎤' } };

  it('writes the same bytes as the standard encoder would for the parsed value', () => {
    const spliced = encoder.encode({ type: parser.PacketType.EVENT, nsp: '/', data: ['change', new PreSerialized(JSON.stringify(change))] });
    expect(spliced).toEqual(standard.encode({ type: parser.PacketType.EVENT, nsp: '/', data: ['change', change] }));
    expect(decode(spliced[0] as string).data).toEqual(['change', change]);
  });

  it('keeps the namespace and the ack id, and mixes spliced and ordinary arguments', () => {
    const packet = { type: parser.PacketType.ACK, nsp: '/admin', id: 12, data: [new PreSerialized('[1,2]'), { ok: true }] };
    const [encoded] = encoder.encode(packet);
    expect(encoded).toBe('3/admin,12[[1,2],{"ok":true}]');
    expect(decode(encoded as string)).toMatchObject({ type: parser.PacketType.ACK, nsp: '/admin', id: 12, data: [[1, 2], { ok: true }] });
  });

  it('leaves every other packet to the standard encoder, binary included', () => {
    const plain = { type: parser.PacketType.EVENT, nsp: '/', data: ['presence', { readers: 3 }] };
    expect(encoder.encode(plain)).toEqual(standard.encode(plain));
    const binary = { type: parser.PacketType.EVENT, nsp: '/', data: ['file', Buffer.from([1, 2, 3])] };
    expect(encoder.encode(binary)).toEqual(standard.encode(binary));
  });
});
