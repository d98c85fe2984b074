// The backend's ambient typings that bench scripts reach without importing their source: pino-http adds
// `req.id` (backend/src/http/app.ts imports it; bench imports use cases that read req.id but not app.ts).
/// <reference types="pino-http" />
