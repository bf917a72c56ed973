<?php
/**
 * The plugin as WordPress sees it: activation, declarations, structure, uninstall.
 *
 * @package Rewardd\Tests
 */

namespace Rewardd\Tests;

use Automattic\WooCommerce\Utilities\FeaturesUtil;

/**
 * Activation and packaging.
 */
final class ActivationTest extends TestCase {

	const PLUGIN = 'rewardd/rewardd.php';

	public function test_what_happens_when_the_plugin_is_activated_in_wordpress(): void {
		$this->assertTrue( is_plugin_active( self::PLUGIN ), 'scripts/test-php activated it with activate_plugin()' );
		$this->as_admin();
		deactivate_plugins( self::PLUGIN );
		$this->assertFalse( is_plugin_active( self::PLUGIN ) );
		ob_start();
		$result = activate_plugin( self::PLUGIN );
		$output = ob_get_clean();
		$this->assertNull( $result, 'activate_plugin() returns null on success' );
		$this->assertSame( '', $output, 'activation prints nothing' );
		$this->assertTrue( is_plugin_active( self::PLUGIN ) );
		$this->assertContains( 'rewards', array_column( $GLOBALS['wp_rewrite']->endpoints, 1 ), 'the My Account endpoint is registered' );
	}

	public function test_what_happens_when_woocommerce_initialises(): void {
		$this->assertTrue( FeaturesUtil::$declared['custom_order_tables'][ self::PLUGIN ] ?? false, 'HPOS declared compatible' );
		$this->assertTrue( FeaturesUtil::$declared['cart_checkout_blocks'][ self::PLUGIN ] ?? false, 'cart/checkout blocks declared compatible' );
	}

	public function test_what_happens_when_wordpress_reads_the_plugin_header(): void {
		$data = get_plugin_data( WP_PLUGIN_DIR . '/' . self::PLUGIN, false, false );
		$this->assertSame( 'rewardd', $data['Name'] );
		$this->assertSame( 'rewardd', $data['TextDomain'] );
		$this->assertNotSame( '', $data['Version'] );
		$this->assertNotSame( '', $data['RequiresPHP'] );
		$this->assertFileExists( dirname( __DIR__, 2 ) . '/uninstall.php' );
	}

	public function test_what_happens_when_the_source_layout_is_checked(): void {
		$root = dirname( __DIR__, 2 );
		$main = (string) file_get_contents( $root . '/rewardd.php' );
		$this->assertStringContainsString( "defined( 'ABSPATH' ) || exit;", $main );
		$this->assertDoesNotMatchRegularExpression( '/^\s*(final\s+)?class\s/m', $main, 'rewardd.php is header and bootstrap only' );
		foreach ( glob( $root . '/src/*.php' ) as $file ) {
			$code = (string) file_get_contents( $file );
			$this->assertStringContainsString( 'namespace Rewardd;', $code, basename( $file ) );
			$this->assertSame( 1, preg_match_all( '/^(?:final\s+)?class\s+(\w+)/m', $code, $m ), basename( $file ) . ' has one class' );
			$this->assertSame( basename( $file, '.php' ), $m[1][0], 'class named after its file' );
		}
	}

	public function test_what_happens_when_every_php_file_is_linted(): void {
		$root  = dirname( __DIR__, 2 );
		$files = new \RecursiveIteratorIterator( new \RecursiveDirectoryIterator( $root, \FilesystemIterator::SKIP_DOTS ) );
		$count = 0;
		foreach ( $files as $file ) {
			if ( 'php' !== $file->getExtension() ) {
				continue;
			}
			exec( escapeshellarg( PHP_BINARY ) . ' -n -l ' . escapeshellarg( $file->getPathname() ) . ' 2>&1', $out, $status );
			$this->assertSame( 0, $status, implode( "\n", $out ) );
			++$count;
		}
		$this->assertGreaterThan( 20, $count );
	}

	public function test_what_happens_when_the_plugin_is_packaged(): void {
		$cmake = trim( (string) shell_exec( 'command -v cmake 2>/dev/null' ) );
		if ( '' === $cmake ) {
			$this->markTestSkipped( 'cmake is not installed: scripts/package-plugin zips with `cmake -E tar`.' );
		}
		$root = dirname( __DIR__, 2 );
		$zip  = getenv( 'REWARDD_TEST_TMP' ) . '/rewardd-plugin.zip';
		exec( escapeshellarg( dirname( $root ) . '/scripts/package-plugin' ) . ' ' . escapeshellarg( $zip ) . ' 2>&1', $out, $status );
		$this->assertSame( 0, $status, implode( "\n", $out ) );
		exec( escapeshellarg( $cmake ) . ' -E tar tf ' . escapeshellarg( $zip ), $listed, $status );
		$this->assertSame( 0, $status );
		$listed   = array_map( 'rtrim', $listed );
		$expected = array( 'rewardd/rewardd.php', 'rewardd/uninstall.php', 'rewardd/assets/rewardd.css' );
		foreach ( glob( $root . '/src/*.php' ) as $file ) {
			$expected[] = 'rewardd/src/' . basename( $file );
		}
		foreach ( $expected as $name ) {
			$this->assertContains( $name, $listed, 'the zip holds what the plugin runs' );
		}
		$this->assertSame( array(), preg_grep( '#/tests/|phpunit#', $listed ), 'and none of the tests' );
	}

	public function test_what_happens_when_the_plugin_is_deactivated_while_connected(): void {
		$this->configure();
		$this->as_admin();
		$this->admin_post( 'rewardd_connect' );
		$ids = get_option( 'rewardd_connection' )['webhook_ids'];
		( new \Rewardd\DeliveryBacklog() )->remember( $ids[0], 42, time() );
		( new \Rewardd\JobQueue() )->schedule( \Rewardd\WebhookRecovery::JOB, 60, true );
		deactivate_plugins( self::PLUGIN );
		foreach ( $ids as $id ) {
			$this->assertSame( 'paused', wc_get_webhook( $id )->get_status(), 'webhooks pause with the plugin' );
		}
		$this->assertFalse( as_has_scheduled_action( \Rewardd\WebhookRecovery::JOB ), 'the resending job goes' );
		ob_start();
		activate_plugin( self::PLUGIN );
		ob_end_clean();
		foreach ( $ids as $id ) {
			$this->assertSame( 'active', wc_get_webhook( $id )->get_status(), 'and resume when it is activated again' );
		}
		$this->assertTrue( as_has_scheduled_action( \Rewardd\WebhookRecovery::JOB ), 'and so does the job, for what failed before' );
	}

	public function test_what_happens_when_the_plugin_is_uninstalled(): void {
		global $wpdb;
		$this->configure();
		$this->as_admin();
		$this->admin_post( 'rewardd_connect' );
		set_transient( 'rewardd_q_test', '5', 60 );
		foreach ( array( 'rewardd_last_code', 'rewardd_apply_code', 'rewardd_referral_code', 'rewardd_pending_redemption', 'rewardd_verified_email', 'rewardd_email_token' ) as $key ) {
			update_user_meta( 1, $key, array( 'code' => 'RWD-1' ) );
		}
		$this->assertSame( '3', $wpdb->get_var( "SELECT COUNT(*) FROM {$wpdb->prefix}wc_webhooks" ) );
		( new \Rewardd\DeliveryBacklog() )->remember( get_option( 'rewardd_connection' )['webhook_ids'][0], 42, time() );
		( new \Rewardd\JobQueue() )->schedule( \Rewardd\WebhookRecovery::JOB, 60, true );
		( new \Rewardd\JobQueue( false ) )->schedule( \Rewardd\WebhookRecovery::JOB, 60, true );
		uninstall_plugin( self::PLUGIN );
		$this->assertSame( '0', $wpdb->get_var( "SELECT COUNT(*) FROM {$wpdb->prefix}wc_webhooks" ), 'webhooks deleted' );
		$this->assertSame( '0', $wpdb->get_var( "SELECT COUNT(*) FROM {$wpdb->prefix}woocommerce_api_keys" ), 'API key revoked' );
		$this->assertSame( '0', $wpdb->get_var( "SELECT COUNT(*) FROM {$wpdb->options} WHERE option_name LIKE 'rewardd\\_%' OR option_name LIKE '\\_transient%rewardd\\_%'" ), 'options and transients gone' );
		$this->assertSame( '0', $wpdb->get_var( "SELECT COUNT(*) FROM {$wpdb->usermeta} WHERE meta_key LIKE 'rewardd\\_%'" ), 'user meta gone' );
		$this->assertFalse( as_has_scheduled_action( \Rewardd\WebhookRecovery::JOB ), 'the job is unscheduled' );
		$this->assertFalse( wp_next_scheduled( \Rewardd\WebhookRecovery::JOB ), 'in WP-Cron too' );
	}
}
