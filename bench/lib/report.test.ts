// The cluster row's summary: what a reader of the results needs to tell nginx's share from the scale-out path's.
import { describe, expect, it } from 'vitest';
import { summaryOf, type Row } from './report.js';

const clusterRow = (metrics: Row['metrics']): Row => ({ scenario: 'cluster', variant: 'nginx → 2 fan-out nodes (Redis), posted on the primary', readers: 5000, metrics, notes: [] });

describe('cluster row summary', () => {
  it('shows every process’s CPU per change beside the single node’s, nginx per frame, and the p99 beyond the extra CPU', () => {
    const text = summaryOf(
      clusterRow({
        serverCpuUsPerDelivery: 10.8,
        cpuPerDeliveryVsSingle: 0.94,
        p99MinusSingleMs: 56,
        readersPerNode: '2500/2500',
        serverCoreMsPerChange: 93.4,
        singleCoreMsPerChange: 57.6,
        fanoutMsPerChange: 54.2,
        nginxMsPerChange: 27.4,
        primaryMsPerChange: 11.2,
        redisMsPerChange: 0.6,
        nginxCpuUsPerDelivery: 5.48,
        p99BeyondExtraCpuMs: 20.2,
      }),
    );
    expect(text).toContain('server CPU per change 93.4 ms against the single node\'s 57.6 (nodes 54.2, nginx 27.4, primary 11.2, Redis 0.6 ms; nginx 5.5 µs per proxied frame)');
    expect(text).toContain('p99 beyond that extra CPU +20.2 ms');
    expect(text).toContain('p99 +56.0 ms vs single');
  });

  it('leaves the breakdown out when the single node’s CPU is unknown', () => {
    const text = summaryOf(clusterRow({ serverCpuUsPerDelivery: 10.8, serverCoreMsPerChange: 93.4 }));
    expect(text).not.toContain('server CPU per change');
  });
});
