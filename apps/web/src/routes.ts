// Every page of the app: its address, who may open it, and its lazily loaded component (so the
// exam view alone pulls in xterm.js).
import type { Route } from './lib/router.svelte';

export const routes: Route[] = [
  { pattern: '/sign-in', access: 'public', title: 'Sign in', load: () => import('./pages/SignInPage.svelte') },
  { pattern: '/sign-up', access: 'public', title: 'Create an account', load: () => import('./pages/SignUpPage.svelte') },
  { pattern: '/', access: 'user', title: 'My tests', load: () => import('./pages/LearnerHomePage.svelte') },
  { pattern: '/join/:code', access: 'user', title: 'Join a cohort', load: () => import('./pages/LearnerHomePage.svelte') },
  { pattern: '/attempts/:attemptId', access: 'user', title: 'Exam', load: () => import('./pages/exam/ExamPage.svelte') },
  { pattern: '/attempts/:attemptId/result', access: 'user', title: 'Result', load: () => import('./pages/ResultPage.svelte') },
  { pattern: '/banks', access: 'staff', title: 'Question banks', load: () => import('./pages/staff/BanksPage.svelte') },
  { pattern: '/banks/:bankId/versions/:version', access: 'staff', title: 'Bank version', load: () => import('./pages/staff/BankVersionPage.svelte') },
  { pattern: '/tests', access: 'staff', title: 'Tests', load: () => import('./pages/staff/TestsPage.svelte') },
  { pattern: '/cohorts', access: 'staff', title: 'Cohorts', load: () => import('./pages/staff/CohortsPage.svelte') },
  { pattern: '/cohorts/:cohortId', access: 'staff', title: 'Cohort dashboard', load: () => import('./pages/staff/CohortPage.svelte') },
  { pattern: '/watch/:attemptId', access: 'staff', title: 'Watch an attempt', load: () => import('./pages/staff/WatchAttemptPage.svelte') },
  { pattern: '/replay/:attemptId', access: 'staff', title: 'Terminal replay', load: () => import('./pages/staff/ReplayPage.svelte') },
  { pattern: '/admin', access: 'admin', title: 'Administration', load: () => import('./pages/staff/AdminPage.svelte') },
];
