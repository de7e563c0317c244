import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderNginxTemplate } from '../../scripts/cluster/topology.js';

const template = readFileSync('deploy/nginx/liveline.conf.template', 'utf8');
const compose = readFileSync('docker-compose.yml', 'utf8');
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
});
