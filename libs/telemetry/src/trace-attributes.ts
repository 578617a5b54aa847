// Attribute names of the OpenTelemetry semantic conventions the mesh emits.
// The rpc.* and cloud.* names are still "incubating" upstream, and the
// semconv package asks libraries to copy those rather than import them.

export const RPC_SYSTEM = 'rpc.system';
export const RPC_SERVICE = 'rpc.service';
export const RPC_METHOD = 'rpc.method';
export const RPC_GRPC_STATUS_CODE = 'rpc.grpc.status_code';

// Both the current names and the older ones (http.method, http.status_code)
// that many dashboards and Jaeger searches still use.
export const HTTP_REQUEST_METHOD = 'http.request.method';
export const HTTP_METHOD = 'http.method';
export const HTTP_ROUTE = 'http.route';
export const HTTP_RESPONSE_STATUS_CODE = 'http.response.status_code';
export const HTTP_STATUS_CODE = 'http.status_code';

export const SERVICE_INSTANCE_ID = 'service.instance.id';
export const CLOUD_AVAILABILITY_ZONE = 'cloud.availability_zone';

export const ZONEMESH_INSTANCE = 'zonemesh.instance';
export const ZONEMESH_ZONE = 'zonemesh.zone';
export const ZONEMESH_API_VERSION = 'zonemesh.api_version';

/** Name of the tracer every zonemesh span is made by. */
export const ZONEMESH_TRACER = '@zonemesh/telemetry';

/** `/zonemesh.pricing.v1.PricingService/GetPrice` -> service and method, as rpc.* attributes want them. */
export function rpcNames(path: string): { service: string; method: string; name: string } {
  const name = path.replace(/^\//, '');
  const slash = name.lastIndexOf('/');
  return { service: name.slice(0, slash), method: name.slice(slash + 1), name };
}
