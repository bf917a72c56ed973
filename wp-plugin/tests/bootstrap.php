<?php
/**
 * PHPUnit bootstrap: starts the fake rewardd (tests/fake-rewardd, docs/API.md) and the test
 * WordPress on `php -S`, then loads that WordPress, with rewardd and the WooCommerce stub
 * active, into this process. scripts/test-php prepares the database and WordPress first.
 *
 * @package Rewardd\Tests
 */

require_once __DIR__ . '/PhpServer.php';
require_once __DIR__ . '/fake-rewardd/FakeState.php';

$rewardd_tmp = (string) getenv( 'REWARDD_TEST_TMP' );
if ( '' === $rewardd_tmp ) {
	fwrite( STDERR, "Run the tests with scripts/test-php.\n" );
	exit( 1 );
}

define( 'REWARDD_TEST_ADMIN_TOKEN', bin2hex( random_bytes( 24 ) ) );
define( 'REWARDD_TEST_STOREFRONT_TOKEN', bin2hex( random_bytes( 24 ) ) );
define( 'REWARDD_TEST_FAKE_STATE', $rewardd_tmp . '/fake-rewardd.json' );

$rewardd_fake = new \Rewardd\Tests\PhpServer(
	'fake-rewardd',
	\Rewardd\Tests\PhpServer::free_port(),
	array( __DIR__ . '/fake-rewardd/router.php' ),
	array(
		'REWARDD_FAKE_STATE'            => REWARDD_TEST_FAKE_STATE,
		'REWARDD_FAKE_ADMIN_TOKEN'      => REWARDD_TEST_ADMIN_TOKEN,
		'REWARDD_FAKE_STOREFRONT_TOKEN' => REWARDD_TEST_STOREFRONT_TOKEN,
		'PHP_CLI_SERVER_WORKERS'        => '3',
	)
);
define( 'REWARDD_TEST_FAKE_URL', 'http://127.0.0.1:' . $rewardd_fake->port() );

$rewardd_wp_server = new \Rewardd\Tests\PhpServer(
	'wordpress',
	(int) getenv( 'REWARDD_TEST_WP_PORT' ),
	array( '-t', (string) getenv( 'REWARDD_TEST_WP_DIR' ) ),
	array( 'PHP_CLI_SERVER_WORKERS' => '2' )
);

register_shutdown_function(
	static function () use ( $rewardd_fake, $rewardd_wp_server ) {
		$rewardd_fake->stop();
		$rewardd_wp_server->stop();
	}
);

require __DIR__ . '/bin/load-wordpress.php';
require_once ABSPATH . 'wp-admin/includes/admin.php'; // What admin pages have loaded when the plugin renders its own.
require_once __DIR__ . '/TestCase.php';
require_once __DIR__ . '/RealRewardd.php';
