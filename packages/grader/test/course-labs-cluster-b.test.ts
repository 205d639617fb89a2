// The authoring test of the cluster labs at even places in name order (the second, fourth...); see course-labs.ts.
import { describeCourseLabs, findCourseLabs } from './course-labs';

describeCourseLabs('cluster-b', await findCourseLabs('cluster-b'), 1);
