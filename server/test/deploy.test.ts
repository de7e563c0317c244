import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderNginxTemplate } from '../../scripts/cluster/topology.js';

const template = readFileSync('deploy/nginx/liveline.conf.template', 'utf8');
const compose = readFileSync('docker-compose.yml', 'utf8');
const mainConf = readFileSync('deploy/nginx/nginx.conf', 'utf8');
const nginxBinary = ['/usr/sbin/nginx', '/usr/bin/nginx', '/usr/local/sbin/nginx'].find((path) => spawnSync(path, ['-v'], { stdio: 'ignore' }).status === 0);
const hasDockerCompose = spawnSync('sh', ['-c', 'command -v docker-compose'], { stdio: 'ignore' }).status === 0;

describe('deployment files', () => {
  it('fills every nginx template placeholder from docker-compose.yml', () => {
    const placeholders = [...new Set([...template.matchAll(/\$\{([A-Z_]+)\}/g)].map((match) => match[1]!))];
    expect(placeholders.sort()).toEqual(['CACHE_DIR', 'FANOUT_SERVERS', 'LISTEN', 'PRIMARY']);
    const nginxService = compose.slice(compose.indexOf('\n  nginx:'));
    const values = Object.fromEntries(placeholders.map((name) => [name, new RegExp(`\\n\\s+${name}: "?([^"\\n]+)"?`).exec(nginxService)?.[1]]));
    for (const name of placeholders) expect(values[name], `${name} in the nginx service's environment`).toBeTruthy();
    const rendered = renderNginxTemplate(template, values as Record<string, string>);
    expect(rendered).not.toMatch(/\$\{[A-Z_]+\}/);
    expect(rendered).toContain('server fanout:3000;');
    // nginx's own variables are left alone.
    expect(rendered).toContain('proxy_set_header Upgrade $http_upgrade;');
  });

  it.skipIf(!hasDockerCompose)('has a docker-compose.yml that docker-compose accepts', () => {
    expect(() => execFileSync('docker-compose', ['config', '-q'], { stdio: 'pipe' })).not.toThrow();
  });

  it("mounts nginx's own main configuration, sized for the readers the capacity model puts behind it", () => {
    const nginxService = compose.slice(compose.indexOf('\n  nginx:'));
    expect(nginxService).toContain('./deploy/nginx/nginx.conf:/etc/nginx/nginx.conf:ro');
    // The image renders the site template into conf.d: the main configuration must include it.
    expect(mainConf).toMatch(/^\s*include \/etc\/nginx\/conf\.d\/\*\.conf;/m);
    const number = (pattern: RegExp, text: string) => Number(pattern.exec(text)?.[1] ?? 0);
    const connections = number(/worker_connections (\d+);/, mainConf);
    // Two slots per reader, and nginx closes connections still waiting for their request once
    // fewer than a sixteenth are free: the image's default 1,024 turned readers away at ~480.
    const readersPerWorker = Math.floor((connections * 15) / 16 / 2);
    expect(readersPerWorker).toBeGreaterThanOrEqual(30_000);
    const descriptors = number(/worker_rlimit_nofile (\d+);/, mainConf);
    expect(descriptors).toBeGreaterThanOrEqual(2 * readersPerWorker);
    expect(number(/nofile: \{ soft: (\d+)/, nginxService)).toBeGreaterThanOrEqual(descriptors);
  });

  it.skipIf(!nginxBinary)('has an nginx configuration that nginx accepts, site included', () => {
    const dir = mkdtempSync(join(tmpdir(), 'liveline-nginx-conf-'));
    try {
      mkdirSync(join(dir, 'conf.d'));
      mkdirSync(join(dir, 'cache'));
      writeFileSync(
        join(dir, 'conf.d', 'default.conf'),
        renderNginxTemplate(template, { LISTEN: '127.0.0.1:8080', PRIMARY: '127.0.0.1:3000', FANOUT_SERVERS: 'server 127.0.0.1:3001;', CACHE_DIR: join(dir, 'cache') }),
      );
      // Only the machine-specific paths and the image's user change; every directive is tested as shipped.
      const local = mainConf
        .replace(/^user nginx;/m, '')
        .replace('/etc/nginx/conf.d/', `${dir}/conf.d/`)
        .replace('/var/log/nginx/error.log', join(dir, 'error.log'))
        .replace('/var/run/nginx.pid', join(dir, 'nginx.pid'));
      writeFileSync(join(dir, 'nginx.conf'), local);
      const result = spawnSync(nginxBinary!, ['-t', '-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')], { encoding: 'utf8' });
      expect(result.status, result.stderr).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
