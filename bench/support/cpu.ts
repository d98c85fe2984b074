import { cpus } from 'node:os';

// How busy the whole machine was over a phase (all cores, all processes: server, database, load generator).
function totals(): { busy: number; all: number } {
  let busy = 0;
  let all = 0;
  for (const { times } of cpus()) {
    const sum = times.user + times.nice + times.sys + times.irq + times.idle;
    all += sum;
    busy += sum - times.idle;
  }
  return { busy, all };
}

export function cpuMeter(): { busyPercent(): number } {
  const start = totals();
  return {
    busyPercent() {
      const end = totals();
      const all = end.all - start.all;
      return all > 0 ? Math.round(((end.busy - start.busy) / all) * 100) : 0;
    },
  };
}
