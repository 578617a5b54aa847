import { fileURLToPath } from 'node:url';

// proto/ sits beside both src/ (vitest) and dist/ (runtime), so one relative
// URL works from either: .proto files are read at runtime, never compiled.
const protoFile = (name: string): string => fileURLToPath(new URL(`../proto/${name}`, import.meta.url));

/** Directory holding every .proto of the mesh (an include dir for loaders). */
export const PROTO_DIR = fileURLToPath(new URL('../proto/', import.meta.url));
export const CATALOG_PROTO_PATH = protoFile('catalog.proto');
export const PRICING_PROTO_PATH = protoFile('pricing.proto');
export const INVENTORY_PROTO_PATH = protoFile('inventory.proto');
