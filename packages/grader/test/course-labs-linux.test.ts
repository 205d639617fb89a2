// The authoring test of the Linux labs (nodes without a cluster, but the reference lab); see course-labs.ts.
import { describeCourseLabs, findCourseLabs } from './course-labs';

describeCourseLabs('linux', await findCourseLabs('linux'), 5);
