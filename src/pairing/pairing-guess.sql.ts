/** The statements of the guess limit (pairing_guesses), run by PairingGuessesRepository. */

/**
 * $1 address, $2 window in seconds: for each guess of the address still in the window, the
 * seconds until it leaves it, oldest first.
 */
export const SQL_GUESSES_OF_ADDRESS = `
  SELECT COALESCE(array_agg(ceil(extract(epoch FROM created_at + make_interval(secs => $2) - now()))::int ORDER BY created_at), '{}') AS expiries
    FROM pairing_guesses WHERE address = $1 AND created_at > now() - make_interval(secs => $2)`;

/** $1 address, $2 window in seconds: records a guess, and answers as SQL_GUESSES_OF_ADDRESS, the new one included. */
export const SQL_RECORD_GUESS = `
  WITH added AS (INSERT INTO pairing_guesses (address) VALUES ($1) RETURNING created_at)
  SELECT array_agg(ceil(extract(epoch FROM created_at + make_interval(secs => $2) - now()))::int ORDER BY created_at) AS expiries
    FROM (SELECT created_at FROM pairing_guesses WHERE address = $1 AND created_at > now() - make_interval(secs => $2)
          UNION ALL SELECT created_at FROM added) g`;

/** $1 window in seconds: guesses across the deployment in the window. */
export const SQL_COUNT_ALL_GUESSES = 'SELECT count(*)::int AS n FROM pairing_guesses WHERE created_at > now() - make_interval(secs => $1)';

/** $1 window in seconds, $2 batch size: drops guesses that no longer count, a bounded batch at a time. */
export const SQL_PRUNE_GUESSES = `
  DELETE FROM pairing_guesses WHERE id IN (
    SELECT id FROM pairing_guesses WHERE created_at <= now() - make_interval(secs => $1) ORDER BY created_at LIMIT $2)`;
