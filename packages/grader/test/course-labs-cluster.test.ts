// The authoring test of the course labs on real Kubernetes clusters, one lab after another (see
// course-labs.ts). vitest.config.ts starts this file first, since it is the longest.
import { describeCourseLabs, findCourseLabs } from './course-labs';

describeCourseLabs('cluster', await findCourseLabs('cluster'), 3);
