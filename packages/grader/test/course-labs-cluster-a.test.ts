// The authoring test of the cluster labs at odd places in name order (the first, third...); see course-labs.ts.
import { describeCourseLabs, findCourseLabs } from './course-labs';

describeCourseLabs('cluster-a', await findCourseLabs('cluster-a'), 1);
