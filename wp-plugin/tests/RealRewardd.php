<?php
/**
 * The real rewardd daemon for the tests that use it (RealRewarddTest, ScreenshotTest):
 * - REWARDD_URL and REWARDD_ADMIN_TOKEN set: that running daemon;
 * - else REWARDD_BIN set: a fresh data dir under REWARDD_TEST_TMP, an admin token from
 *   `$REWARDD_BIN token create --scope admin`, and `$REWARDD_BIN serve` on a free loopback port
 *   (stopped by stop(); scripts/test-php also kills it through its pid file);
 * - neither: skip_reason() says why the caller skips.
 *
 * @package Rewardd\Tests
 */

namespace Rewardd\Tests;

/**
 * One daemon, started or found.
 */
final class RealRewardd {

	/**
	 * The serve process when we started it.
	 *
	 * @var resource|null
	 */
	private $process = null;

	/**
	 * Base URL ('' when none).
	 *
	 * @var string
	 */
	public $url = '';

	/**
	 * Admin token.
	 *
	 * @var string
	 */
	public $token = '';

	/**
	 * Data dir of the daemon we started ('' when using REWARDD_URL).
	 *
	 * @var string
	 */
	public $data_dir = '';

	/**
	 * Why there is no daemon ('' when there is).
	 *
	 * @var string
	 */
	public $skip = '';

	/**
	 * Finds or starts the daemon.
	 *
	 * @param string   $name  Data dir name under REWARDD_TEST_TMP.
	 * @param callable $setup Optional fn(RealRewardd): runs CLI commands before serve starts.
	 */
	public function __construct( string $name = 'rewardd-data', ?callable $setup = null ) {
		$url   = (string) getenv( 'REWARDD_URL' );
		$token = (string) getenv( 'REWARDD_ADMIN_TOKEN' );
		$bin   = (string) getenv( 'REWARDD_BIN' );
		if ( '' !== $url && '' !== $token ) {
			$this->url   = rtrim( $url, '/' );
			$this->token = $token;
			return;
		}
		if ( '' === $bin ) {
			$this->skip = 'REWARDD_BIN is not set, so the test against the real rewardd is skipped; the fake rewardd covers the plugin. Run REWARDD_BIN=/path/to/rewardd scripts/test-php to include it.';
			return;
		}
		if ( ! is_executable( $bin ) ) {
			$this->skip = "REWARDD_BIN=$bin is not an executable file.";
			return;
		}
		$this->data_dir = getenv( 'REWARDD_TEST_TMP' ) . '/' . $name;
		if ( ! is_dir( $this->data_dir ) ) {
			mkdir( $this->data_dir, 0700, true );
		}
		$lines       = $this->run( array( 'token', 'create', '--scope', 'admin' ) );
		$this->token = trim( (string) end( $lines ) ); // The token is the last line.
		if ( null !== $setup ) {
			$setup( $this );
		}
		$this->serve( $bin, $name );
	}

	/**
	 * Runs a CLI command against the data dir; throws when it fails.
	 *
	 * @param string[] $args Arguments after the binary (--data is added).
	 * @return string[] Output lines.
	 * @throws \RuntimeException When the command fails.
	 */
	public function run( array $args ): array {
		$args[]  = '--data';
		$args[]  = $this->data_dir;
		$command = implode( ' ', array_map( 'escapeshellarg', array_merge( array( (string) getenv( 'REWARDD_BIN' ) ), $args ) ) );
		exec( $command . ' 2>&1', $lines, $status );
		if ( 0 !== $status ) {
			throw new \RuntimeException( "rewardd {$args[0]} failed ($status): " . implode( "\n", $lines ) );
		}
		return $lines;
	}

	/**
	 * Stops the daemon we started.
	 */
	public function stop(): void {
		if ( is_resource( $this->process ) ) {
			proc_terminate( $this->process );
			proc_close( $this->process );
			$this->process = null;
		}
	}

	/**
	 * Starts `serve` on a free port and waits for GET /healthz.
	 *
	 * @param string $bin  Binary.
	 * @param string $name Name for the log and pid files.
	 * @throws \RuntimeException When it does not answer.
	 */
	private function serve( string $bin, string $name ): void {
		$port          = PhpServer::free_port();
		$log           = getenv( 'REWARDD_TEST_TMP' ) . "/$name-serve.log";
		$this->process = proc_open(
			array( $bin, 'serve', '--listen', '127.0.0.1:' . $port, '--data', $this->data_dir ),
			array(
				0 => array( 'file', '/dev/null', 'r' ),
				1 => array( 'file', $log, 'a' ),
				2 => array( 'file', $log, 'a' ),
			),
			$pipes
		);
		file_put_contents( getenv( 'REWARDD_TEST_TMP' ) . "/$name-serve.pid", (string) proc_get_status( $this->process )['pid'] );
		$this->url = 'http://127.0.0.1:' . $port;
		for ( $i = 0; $i < 150; $i++ ) {
			$response = wp_remote_get( $this->url . '/healthz', array( 'timeout' => 1 ) );
			if ( 200 === wp_remote_retrieve_response_code( $response ) ) {
				return;
			}
			if ( ! proc_get_status( $this->process )['running'] ) {
				break;
			}
			usleep( 100000 );
		}
		throw new \RuntimeException( 'rewardd serve did not answer GET /healthz: ' . (string) @file_get_contents( $log ) );
	}
}
