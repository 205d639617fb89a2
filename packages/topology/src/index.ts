// @praxis/topology: the machines, segments, links and cluster of a lab, as the lab format writes
// them and the sandbox builds them. A package of its own so the lab format (packages/labs) can read
// a topology without depending on the Docker owner (packages/sandbox).
export * from './topology.schema';
