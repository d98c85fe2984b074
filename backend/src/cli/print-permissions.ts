import { routeCatalog } from '../http/route-catalog.js';
import { renderPermissionsDoc } from './permissions-doc.js';

// Prints docs/permissions.md: npm run docs:permissions -w backend
process.stdout.write(renderPermissionsDoc(routeCatalog()));
