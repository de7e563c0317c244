import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { Wire } from './internals.js';

/**
 * Wire.releaseUpgrade on stand-ins shaped like an upgraded reader (reader-footprint.test.ts runs
 * it on the real stack): it removes exactly engine.io's leftovers, and when the first reader does
 * not have them (another engine.io) it warns once and touches nobody's listeners from then on.
 */
/** engine.io's WebSocketResponse constructor, as far as the TCP socket sees it. */
class StandInResponse extends EventEmitter {
  constructor(socket: EventEmitter) {
    super();
    socket.once('close', () => this.emit('close'));
  }
}

function upgraded({ leftovers }: { leftovers: boolean }) {
  const tcp = new EventEmitter();
  const ws = Object.assign(new EventEmitter(), { _socket: tcp });
  const wsOnClose = function socketOnClose() {};
  tcp.on('close', wsOnClose);
  if (leftovers) {
    // As engine.io's WebSocketResponse and onWebSocket register them.
    new StandInResponse(tcp);
    ws.on('error', function onUpgradeError() {});
  }
  const transportOnError = () => {};
  ws.on('error', transportOnError);
  return { ws, tcp, wsOnClose, transportOnError };
}

function wire() {
  const warnings: string[] = [];
  return { warnings, wire: new Wire({ warn: (_details, message) => void warnings.push(message) }, { watchAdapter: false }) };
}

describe('releasing an upgraded reader’s leftovers', () => {
  it('removes the response’s close listener and onUpgradeError, and nothing else', () => {
    const { wire: w, warnings } = wire();
    const reader = upgraded({ leftovers: true });
    expect(w.releaseUpgrade(reader.ws)).toBe(true);
    expect(reader.tcp.listeners('close')).toEqual([reader.wsOnClose]);
    expect(reader.ws.listeners('error')).toEqual([reader.transportOnError]);
    expect(warnings).toEqual([]);
  });

  it('warns once and leaves every later reader alone when the first has no such listener', () => {
    const { wire: w, warnings } = wire();
    expect(w.releaseUpgrade(upgraded({ leftovers: false }).ws)).toBe(false);
    const later = upgraded({ leftovers: true });
    expect(w.releaseUpgrade(later.ws)).toBe(false);
    expect(later.tcp.listeners('close')).toHaveLength(2);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('WebSocketResponse');
    expect(w.releaseUpgrade({})).toBe(false);
    expect(warnings).toHaveLength(1);
  });
});
