<?php
/**
 * rewardd active in a WordPress where WooCommerce is not: one notice, nothing else.
 *
 * @package Rewardd\Tests
 */

namespace Rewardd\Tests;

/**
 * Missing WooCommerce.
 */
final class WithoutWooCommerceTest extends TestCase {

	public function test_what_happens_when_woocommerce_is_not_active(): void {
		$command = escapeshellarg( PHP_BINARY ) . ' ' . escapeshellarg( dirname( __DIR__ ) . '/bin/without-woocommerce.php' );
		exec( $command . ' 2>&1', $lines, $status );
		$this->assertSame( 0, $status, implode( "\n", $lines ) );
		$report = json_decode( (string) end( $lines ), true );
		$this->assertIsArray( $report, implode( "\n", $lines ) );
		$this->assertFalse( $report['woocommerce_loaded'] );
		$this->assertTrue( $report['rewardd_loaded'] );

		$notice = self::dom( $report['admin_notices'] )->query( '//div[contains(@class,"notice-error")]' );
		$this->assertSame( 1, $notice->length, 'one error notice' );
		$this->assertStringContainsString( 'rewardd needs WooCommerce', $notice->item( 0 )->textContent );

		$this->assertSame( 'none', $report['services'], 'no services are built' );
		$this->assertFalse( $report['http_filter_added'], 'no HTTP filters' );
		$this->assertFalse( $report['account_menu_filter'], 'no My Account tab' );
		$this->assertFalse( $report['admin_post_connect'], 'no admin actions' );
	}
}
