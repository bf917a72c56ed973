<?php
/**
 * Starts `php -S` on a free loopback port for the tests (the fake rewardd, the test
 * WordPress) and stops it when the test run ends. Its pid also goes to a file in
 * REWARDD_TEST_TMP so scripts/test-php can kill it if PHPUnit dies.
 *
 * @package Rewardd\Tests
 */

namespace Rewardd\Tests;

/**
 * One `php -S` process.
 */
final class PhpServer {

	/**
	 * The process.
	 *
	 * @var resource
	 */
	private $process;

	/**
	 * Its port.
	 *
	 * @var int
	 */
	private $port;

	/**
	 * Starts a server and waits until it accepts connections.
	 *
	 * @param string               $name   Name for the pid and log files.
	 * @param int                  $port   Port on 127.0.0.1.
	 * @param string[]             $args   Arguments after `php -S 127.0.0.1:PORT`.
	 * @param array<string,string> $env    Extra environment.
	 */
	public function __construct( string $name, int $port, array $args, array $env ) {
		$tmp           = (string) getenv( 'REWARDD_TEST_TMP' );
		$log           = $tmp . '/' . $name . '.log';
		$command       = array_merge( array( 'setsid', PHP_BINARY, '-d', 'variables_order=EGPCS', '-S', '127.0.0.1:' . $port ), $args );
		$this->port    = $port;
		$this->process = proc_open(
			$command,
			array(
				0 => array( 'file', '/dev/null', 'r' ),
				1 => array( 'file', $log, 'a' ),
				2 => array( 'file', $log, 'a' ),
			),
			$pipes,
			null,
			$env + getenv()
		);
		$status = proc_get_status( $this->process );
		file_put_contents( $tmp . '/' . $name . '.pid', (string) $status['pid'] );
		for ( $i = 0; $i < 100; $i++ ) {
			$socket = @fsockopen( '127.0.0.1', $port, $errno, $errstr, 0.2 ); // phpcs:ignore
			if ( $socket ) {
				fclose( $socket );
				return;
			}
			usleep( 50000 );
		}
		throw new \RuntimeException( "php -S for $name did not start; see $log" );
	}

	/**
	 * A free TCP port on 127.0.0.1 (nothing listens on it once this returns).
	 */
	public static function free_port(): int {
		$server = stream_socket_server( 'tcp://127.0.0.1:0' );
		$name   = (string) stream_socket_get_name( $server, false );
		fclose( $server );
		return (int) substr( $name, strrpos( $name, ':' ) + 1 );
	}

	/**
	 * The port.
	 */
	public function port(): int {
		return $this->port;
	}

	/**
	 * Stops the server.
	 */
	public function stop(): void {
		if ( is_resource( $this->process ) ) {
			// php -S with PHP_CLI_SERVER_WORKERS forks workers that outlive a TERM to the parent:
			// setsid made the server a process group leader, so signal the whole group.
			$status = proc_get_status( $this->process );
			if ( $status['running'] && function_exists( 'posix_kill' ) ) {
				posix_kill( -$status['pid'], 15 );
			}
			proc_terminate( $this->process );
			proc_close( $this->process );
		}
	}
}
