/** Sends the user to the login page (with a "session expired" notice) when any request answers 401. */
import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { setUnauthenticatedHandler } from '../api/client';
import { meKey, useForgetSession } from '../api/queries';

export interface LoginState {
  expired?: boolean;
  from?: string;
  email?: string;
  accepted?: boolean;
}

/** Registers the global 401 handler while mounted inside the router. */
export function SessionWatch() {
  const navigate = useNavigate();
  const location = useLocation();
  const qc = useQueryClient();
  const forget = useForgetSession();
  useEffect(() => {
    setUnauthenticatedHandler(() => {
      const hadSession = Boolean(qc.getQueryData(meKey));
      forget();
      if (location.pathname === '/login' || location.pathname.startsWith('/invite/')) return;
      const state: LoginState = { expired: hadSession, from: location.pathname + location.search };
      void navigate('/login', { replace: true, state });
    });
    return () => setUnauthenticatedHandler(null);
  }, [navigate, location, qc, forget]);
  return null;
}
