// Reads log lines on stdin and writes them for people (backend/src/log-lines.ts): `make logs` pipes
// `docker compose logs` through it. LOG_FORMAT=json (make logs LOG_FORMAT=json) keeps the raw lines.
import { createInterface } from 'node:readline';
import { formatLogLine } from '../log-lines.js';

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of lines) process.stdout.write(`${formatLogLine(line)}\n`);
