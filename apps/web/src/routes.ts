// Every page of the app: its address, who may open it, its title (a message key) and its lazily
// loaded component (so the exam view alone pulls in xterm.js).
import type { Route } from './lib/router.svelte';

export const routes: Route[] = [
  { pattern: '/sign-in', access: 'public', title: 'routes.signIn', load: () => import('./pages/SignInPage.svelte') },
  { pattern: '/sign-up', access: 'public', title: 'routes.signUp', load: () => import('./pages/SignUpPage.svelte') },
  { pattern: '/', access: 'user', title: 'routes.home', load: () => import('./pages/LearnerHomePage.svelte') },
  { pattern: '/join/:code', access: 'user', title: 'routes.join', load: () => import('./pages/LearnerHomePage.svelte') },
  { pattern: '/tests/:testId/start', access: 'user', title: 'routes.briefing', load: () => import('./pages/BriefingPage.svelte') },
  { pattern: '/attempts/:attemptId', access: 'user', title: 'routes.exam', load: () => import('./pages/exam/ExamPage.svelte') },
  { pattern: '/attempts/:attemptId/result', access: 'user', title: 'routes.result', load: () => import('./pages/ResultPage.svelte') },
  { pattern: '/setup', access: 'admin', title: 'routes.setup', load: () => import('./pages/staff/SetupPage.svelte') },
  { pattern: '/banks', access: 'staff', title: 'routes.banks', load: () => import('./pages/staff/BanksPage.svelte') },
  { pattern: '/banks/:bankId/versions/:version', access: 'staff', title: 'routes.bankVersion', load: () => import('./pages/staff/BankVersionPage.svelte') },
  { pattern: '/tests', access: 'staff', title: 'routes.tests', load: () => import('./pages/staff/TestsPage.svelte') },
  { pattern: '/cohorts', access: 'staff', title: 'routes.cohorts', load: () => import('./pages/staff/CohortsPage.svelte') },
  { pattern: '/cohorts/:cohortId', access: 'staff', title: 'routes.dashboard', load: () => import('./pages/staff/CohortPage.svelte') },
  { pattern: '/watch/:attemptId', access: 'staff', title: 'routes.watch', load: () => import('./pages/staff/WatchAttemptPage.svelte') },
  { pattern: '/replay/:attemptId', access: 'staff', title: 'routes.replay', load: () => import('./pages/staff/ReplayPage.svelte') },
  { pattern: '/admin', access: 'admin', title: 'routes.admin', load: () => import('./pages/staff/AdminPage.svelte') },
];
