export { keySegments, type ClusterFileRead, type ClusterFormat, type ClusterSource } from '../cluster-draft.js';
export { readEnvoyClusters } from '../envoy/envoy-cluster.parse.js';
export { readSpringClusters } from '../spring/spring-cluster.parse.js';
export { clusterSettings, type ClusterSetting } from './cluster-settings.js';
export { detectClusterFormat, readForeignClusterFile, zonemeshClusterSources } from './cluster-file.read.js';
export { explainClusters, type ExplainedCluster, type ExplainedFile, type ExplainedSetting } from './explain-clusters.js';
