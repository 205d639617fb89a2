import { describe, expect, it } from 'vitest';
import { expandLdflags, moduleInError } from './go-components';

describe('expandLdflags', () => {
  it('puts module versions and their major/minor numbers into the flags', () => {
    const versions = new Map([['k8s.io/kubernetes', 'v1.34.4']]);
    expect(expandLdflags('-X a={version:k8s.io/kubernetes} -X b={major:k8s.io/kubernetes} -X c={minor:k8s.io/kubernetes}', versions)).toBe(
      '-X a=v1.34.4 -X b=1 -X c=34',
    );
    expect(expandLdflags('-X a={version:example.com/missing}', versions)).toBe('-X a=unknown');
  });
});

describe('moduleInError', () => {
  it('names the module and version go could not fetch', () => {
    const stderr = `go: github.com/flannel-io/flannel imports
	github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/vpc/v20170312: github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/vpc@v1.3.188: reading https://proxy.golang.org/...: 403 Forbidden`;
    expect(moduleInError(stderr)).toBe('github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/vpc@v1.3.188');
    expect(moduleInError('go: no such tool')).toBeUndefined();
  });
});
