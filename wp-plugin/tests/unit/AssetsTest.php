<?php
/**
 * What the plugin adds to storefront pages, weighed as WordPress would send it: every style
 * and script it enqueues on wp_enqueue_scripts (files and inline code) on a product page,
 * and nothing at all on pages where rewardd shows nothing.
 *
 * @package Rewardd\Tests
 */

namespace Rewardd\Tests;

/**
 * Storefront weight.
 */
final class AssetsTest extends TestCase {

	const BUDGET_BYTES = 15 * 1024;

	protected function tearDown(): void {
		wp_reset_query();
		parent::tearDown();
	}

	public function test_what_happens_when_a_product_page_enqueues_its_assets(): void {
		$id = wp_insert_post( array( 'post_type' => 'product', 'post_status' => 'publish', 'post_title' => 'Boots' ) );
		query_posts( array( 'p' => $id, 'post_type' => 'product' ) );
		$this->assertTrue( is_product(), 'a single product page' );
		$assets = $this->enqueued_plugin_assets();
		$this->assertNotEmpty( $assets, 'the plugin adds its stylesheet here' );
		$bytes = array_sum( $assets );
		$this->assertGreaterThan( 0, $bytes );
		$this->assertLessThanOrEqual( self::BUDGET_BYTES, $bytes, 'at most 15 KB of CSS/JS on a storefront page: ' . wp_json_encode( $assets ) );
	}

	public function test_what_happens_when_a_page_without_rewards_enqueues_its_assets(): void {
		query_posts( array( 'post_type' => 'post' ) );
		$this->assertSame( array(), $this->enqueued_plugin_assets(), 'nothing on pages where rewardd shows nothing' );
	}

	/**
	 * Runs wp_enqueue_scripts on fresh queues and weighs what the plugin enqueued: its files'
	 * sizes and any inline code, by handle.
	 *
	 * @return array<string, int>
	 */
	private function enqueued_plugin_assets(): array {
		$GLOBALS['wp_styles']  = null;
		$GLOBALS['wp_scripts'] = null;
		do_action( 'wp_enqueue_scripts' );
		$base   = plugins_url( '', REWARDD_PLUGIN_FILE );
		$weight = array();
		foreach ( array( wp_styles(), wp_scripts() ) as $queue ) {
			foreach ( $queue->queue as $handle ) {
				$asset = $queue->registered[ $handle ] ?? null;
				if ( ! $asset || ! is_string( $asset->src ) || 0 !== strpos( $asset->src, $base . '/' ) ) {
					continue;
				}
				$file = dirname( REWARDD_PLUGIN_FILE ) . substr( $asset->src, strlen( $base ) );
				$this->assertFileExists( $file, "the file behind $handle" );
				$inline = implode( '', (array) $queue->get_data( $handle, 'after' ) ) . implode( '', (array) $queue->get_data( $handle, 'before' ) ) . (string) $queue->get_data( $handle, 'data' );
				$weight[ get_class( $queue ) . ':' . $handle ] = (int) filesize( $file ) + strlen( $inline );
			}
		}
		return $weight;
	}
}
