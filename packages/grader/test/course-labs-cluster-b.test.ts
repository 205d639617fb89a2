// The authoring test of the cluster labs at even places in name order (the second, fourth...), one
// after another; course-labs-cluster-a.test.ts has the others. vitest.config.ts starts both first.
import { describeCourseLabs, findCourseLabs } from './course-labs';

describeCourseLabs('cluster-b', await findCourseLabs('cluster-b'), 2);
