/**
 * Where the bearer token lives: sessionStorage by default (gone when the tab closes), localStorage when the user
 * asks to be remembered on this device.
 */
const KEY = 'hetao.token';

export function loadToken(): string | null {
  return sessionStorage.getItem(KEY) ?? localStorage.getItem(KEY);
}

export function saveToken(token: string, remember: boolean): void {
  clearToken();
  (remember ? localStorage : sessionStorage).setItem(KEY, token);
}

export function clearToken(): void {
  sessionStorage.removeItem(KEY);
  localStorage.removeItem(KEY);
}
