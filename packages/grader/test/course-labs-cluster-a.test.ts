// The authoring test of the cluster labs at odd places in name order (the first, third...), one
// after another; course-labs-cluster-b.test.ts has the others. vitest.config.ts starts both first.
import { describeCourseLabs, findCourseLabs } from './course-labs';

describeCourseLabs('cluster-a', await findCourseLabs('cluster-a'), 2);
