import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { Histogram } from 'prom-client';
import type { Sequelize } from 'sequelize';
import { createLogger } from '../../src/logger.js';
import { collectProcessMetrics, metricsRegistry } from '../../src/metrics/metrics.js';
import { queueMetricsRegistry } from '../../src/metrics/queue-metrics.js';

const DASHBOARD = new URL('../../../deploy/monitoring/grafana/dashboards/switchboard.json', import.meta.url);
const DOC = new URL('../../../docs/metrics.md', import.meta.url);
/** Series from elsewhere: n8n's own endpoint, and Prometheus' own `up`. */
const NOT_OURS = /^(n8n_|up$)/;

/** Every metric our processes register (the worker's queue gauges included), with the series names Prometheus sees. */
function registeredSeries(): { metrics: string[]; series: Set<string> } {
  collectProcessMetrics();
  const queues = queueMetricsRegistry({ sequelize: {} as Sequelize, bullQueues: () => [], logger: createLogger({ logLevel: 'silent' }) });
  const all = [...metricsRegistry.getMetricsAsArray(), ...queues.getMetricsAsArray()];
  const series = new Set<string>();
  for (const metric of all) {
    const { name } = metric as unknown as { name: string };
    if (metric instanceof Histogram) for (const suffix of ['_bucket', '_count', '_sum']) series.add(`${name}${suffix}`);
    else series.add(name);
  }
  return { metrics: all.map((metric) => (metric as unknown as { name: string }).name), series };
}

describe('Grafana dashboard and docs/metrics.md', () => {
  const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as { panels: { type: string; title: string; targets?: { expr: string }[] }[] };
  const { metrics, series } = registeredSeries();

  it('when a panel queries a series, then the code registers it (a renamed metric breaks this, not the dashboard)', () => {
    const exprs = dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((target) => ({ panel: panel.title, expr: target.expr })));
    expect(exprs.length).to.be.greaterThan(10);
    for (const { panel, expr } of exprs) {
      const names = [...expr.matchAll(/\b([a-z_][a-z0-9_]*)\s*(?=[{[]|\)|$)/g)].map((m) => m[1]!).filter((name) => name.includes('_') || name === 'up');
      expect(names.length, `${panel}: ${expr}`).to.be.greaterThan(0);
      for (const name of names) {
        if (NOT_OURS.test(name)) continue;
        expect(series.has(name), `${panel}: ${name} is not registered`).to.equal(true);
      }
    }
  });

  it('when a metric is ours, then its name starts with switchboard_', () => {
    expect(metrics.filter((name) => !name.startsWith('switchboard_'))).to.deep.equal([]);
  });

  it('when the code registers a metric, then docs/metrics.md lists it', () => {
    const doc = readFileSync(DOC, 'utf8');
    const ownMetrics = metrics.filter((name) => !/^switchboard_(process|nodejs)_/.test(name));
    expect(ownMetrics.length).to.be.greaterThan(10);
    for (const name of ownMetrics) expect(doc, name).to.contain(`\`${name}\``);
  });
});
