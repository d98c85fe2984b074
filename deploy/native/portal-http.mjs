// Serves the built portal over plain HTTP for the native stack (make dev, e2e).
// adapter-node 6 dropped the runtime ORIGIN variable: without a pinned origin it takes the protocol
// from PROTOCOL_HEADER, else assumes https (right behind Caddy). Here there is no proxy, so this
// tiny front does what one would: it states the real protocol, and form posts pass the CSRF origin
// check whatever port the stack picked. Usage: PROTOCOL_HEADER=x-forwarded-proto node portal-http.mjs <build dir>
import { createServer } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const buildDir = process.argv[2];
if (!buildDir) throw new Error('usage: node portal-http.mjs <portal build dir>');
const { handler } = await import(pathToFileURL(join(buildDir, 'handler.js')).href);

const server = createServer((req, res) => {
  req.headers['x-forwarded-proto'] = 'http'; // overwrite, never trust a client-sent value
  handler(req, res, () => {
    res.statusCode = 404;
    res.end('Not found');
  });
});
server.listen(Number(process.env.PORT ?? 3000), process.env.HOST ?? '127.0.0.1');
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => server.close(() => process.exit(0)));
