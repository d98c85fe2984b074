// The baseline: a bare Express 5 hello-world on the same machine, driven by the same load generator.
// Whatever the API does beyond this (body parsing, signature check, database) is the cost of the feature.
import express from 'express';

const app = express();
app.post('/', (_req, res) => {
  res.send('ok');
});
app.get('/healthz', (_req, res) => {
  res.send('ok');
});
const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
server.keepAliveTimeout = 65_000;
process.once('SIGTERM', () => server.close(() => process.exit(0)));
