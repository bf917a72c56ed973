<?php
/**
 * The fake rewardd's state: one JSON file, read and written under an exclusive lock, so
 * the test process and the fake (several php -S workers) can share it.
 *
 * @package Rewardd\Tests
 */

/**
 * JSON state file with locking.
 */
final class FakeState {

	/**
	 * Path of the JSON file.
	 *
	 * @var string
	 */
	private $file;

	/**
	 * Binds to a file.
	 *
	 * @param string $file Path.
	 */
	public function __construct( string $file ) {
		$this->file = $file;
	}

	/**
	 * The empty state.
	 *
	 * @return array<string, mixed>
	 */
	public static function initial(): array {
		return array(
			'shops'           => array(),
			'customers'       => array(),
			'redemptions'     => array(),
			'pings'           => array(),
			'requests'        => array(),
			'last_webhook_at' => array(),
			// Signed webhook deliveries accepted: shop, topic, webhook_id and the body's id.
			'deliveries'      => array(),
			// GET /readyz answers 503 not_ready when false (the store failing).
			'ready'           => true,
			'outbox_backlog'  => 0,
			'redeem_status'   => 'delivered',
			'delay_ms'        => 0,
			// Lost answers for POST /api/v1/redeem, one taken per request (routes.php fake_redeem).
			'redeem_faults'   => array(),
		);
	}

	/**
	 * Current state.
	 *
	 * @return array<string, mixed>
	 */
	public function read(): array {
		return $this->update( null );
	}

	/**
	 * Replaces the state with what $change returns (or just reads it when null).
	 *
	 * @param callable|null $change fn(array): array.
	 * @return array<string, mixed> The state after the change.
	 */
	public function update( ?callable $change ): array {
		$handle = fopen( $this->file . '.lock', 'c' );
		flock( $handle, LOCK_EX );
		$text  = is_file( $this->file ) ? (string) file_get_contents( $this->file ) : '';
		$state = json_decode( $text, true );
		$state = is_array( $state ) ? $state + self::initial() : self::initial();
		if ( null !== $change ) {
			$state = $change( $state );
			file_put_contents( $this->file . '.tmp', json_encode( $state, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES ) );
			rename( $this->file . '.tmp', $this->file );
		}
		flock( $handle, LOCK_UN );
		fclose( $handle );
		return $state;
	}

	/**
	 * Appends a request to the log (auth shown only as present or not).
	 *
	 * @param string $method Method.
	 * @param string $path   Path.
	 * @param string $auth   Authorization header.
	 * @param string $raw    Body.
	 */
	public function log( string $method, string $path, string $auth, string $raw ): void {
		$this->update(
			static function ( array $s ) use ( $method, $path, $auth, $raw ) {
				$s['requests'][] = array(
					'method' => $method,
					'path'   => $path,
					'auth'   => $auth,
					'body'   => $raw,
				);
				return $s;
			}
		);
	}
}
