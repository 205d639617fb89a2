// The topology format lives in @praxis/topology (no Docker there); re-exported for the sandbox's callers.
export * from '@praxis/topology';
export * from './instance.types';
export * from './labels';
export * from './docker-client';
export * from './engines';
export * from './docker-call';
export * from './exec';
export * from './exec-in-node';
export * from './exec-stream';
export * from './images';
export * from './lab-image';
export * from './collect-lab-images';
export * from './sync-images';
export * from './wiring';
export * from './create-instance';
export { runSetupText, setupOutputTail } from './run-setup';
export * from './destroy-instance';
export * from './list-instances';
export * from './collect-garbage';
export * from './engine-userns';
export * from './engine-features';
export * from './node-spec';
export * from './repair-instances';
export * from './freeze-instance';
export * from './kernel-census';
export * from './node-cpu';
export * from './fabric';
export * from './go-components';
export * from './cluster-image';
export * from './bootstrap-cluster';
export * from './cluster-credentials';
export * from './instance-pool';
// The grader's containers and its check execs: Docker calls, so they live with the engines' owner
// (packages/grader decides what to run and how to grade; it never imports dockerode).
export * from './grader-error';
export * from './grader-container';
export * from './check-exec';
