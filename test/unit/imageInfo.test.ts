// Photo checks before TikTok is asked for anything: format and size from an image's first bytes,
// which binary fields become the post, and which image a failed download points to.
import type { IBinaryData } from 'n8n-workflow';

import { imageWhereDownloadStopped, photoFields, type ServedPhoto } from '../../nodes/TikTok/actions/photo/binaryPhotos';
import { InputError } from '../../nodes/TikTok/shared/inputError';
import { inspectImage } from '../../nodes/TikTok/shared/imageInfo';

function jpegWithExif(width: number, height: number, exifBytes: number): Buffer {
	const app1 = Buffer.alloc(4 + exifBytes, 0x41);
	app1.writeUInt16BE(0xffe1, 0);
	app1.writeUInt16BE(2 + exifBytes, 2);
	const sof = Buffer.from([0xff, 0xc2, 0x00, 0x11, 0x08, height >> 8, height & 0xff, width >> 8, width & 0xff, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
	return Buffer.concat([Buffer.from([0xff, 0xd8]), app1, Buffer.from([0xff, 0xff]), sof]);
}

describe('inspectImage', () => {
	it('reads a JPEG\'s size past an EXIF block and fill bytes (progressive SOF2 too)', () => {
		expect(inspectImage(jpegWithExif(1080, 1920, 30_000))).toEqual({ format: 'jpeg', width: 1080, height: 1920 });
	});

	it('reads the three WebP headers', () => {
		const riff = (chunk: string, payload: number[]) => {
			const head = Buffer.alloc(40);
			head.write('RIFF', 0, 'latin1');
			head.write('WEBP', 8, 'latin1');
			head.write(chunk, 12, 'latin1');
			Buffer.from(payload).copy(head, 20);
			return head;
		};
		// VP8 (lossy): frame tag, start code 9d 01 2a, then 14-bit width and height.
		expect(inspectImage(riff('VP8 ', [0, 0, 0, 0x9d, 0x01, 0x2a, 0x38, 0x04, 0x80, 0x07]))).toMatchObject({ width: 1080, height: 1920 });
		// VP8L (lossless): signature 0x2f, then width-1 and height-1 in 14 bits each.
		const w = 1079;
		const h = 1919;
		expect(inspectImage(riff('VP8L', [0x2f, w & 0xff, ((w >> 8) & 0x3f) | ((h & 0x3) << 6), (h >> 2) & 0xff, (h >> 10) & 0xf]))).toMatchObject({
			width: 1080,
			height: 1920,
		});
		// VP8X (extended): 24-bit canvas width-1 and height-1.
		expect(inspectImage(riff('VP8X', [0, 0, 0, 0, w & 0xff, w >> 8, 0, h & 0xff, h >> 8, 0]))).toMatchObject({ width: 1080, height: 1920 });
	});

	it('tells PNG and anything else apart from what TikTok takes', () => {
		const png = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.from([0, 0, 4, 0x38, 0, 0, 7, 0x80])]);
		expect(inspectImage(png)).toEqual({ format: 'png', width: 1080, height: 1920 });
		expect(inspectImage(Buffer.from('GIF89a'))).toEqual({ format: 'other' });
		expect(inspectImage(Buffer.alloc(0))).toEqual({ format: 'other' });
	});
});

describe('photoFields', () => {
	const binary = { data: {}, data_1: {}, data_2: {} } as unknown as Record<string, IBinaryData>;

	it('takes every binary field in order, or the ones named in the order named', () => {
		expect(photoFields(binary, '')).toEqual(['data', 'data_1', 'data_2']);
		expect(photoFields(binary, ' data_2 ,data ')).toEqual(['data_2', 'data']);
	});

	it('names missing fields and the ones there are', () => {
		let caught: unknown;
		try {
			photoFields(binary, 'data, image');
		} catch (error) {
			caught = error;
		}
		expect(caught).toBeInstanceOf(InputError);
		expect((caught as InputError).message).toBe('The input item has no binary field "image"');
		expect((caught as InputError).hint).toMatch(/data, data_1, data_2/);
	});
});

describe('imageWhereDownloadStopped', () => {
	const photos = [100, 200, 300].map((bytes, index) => ({ bytes, label: `image ${index + 1}`, url: '' })) as ServedPhoto[];

	it('finds the image TikTok was fetching from the bytes it reports (images go in order)', () => {
		expect(imageWhereDownloadStopped(photos, 0)?.label).toBe('image 1');
		expect(imageWhereDownloadStopped(photos, 100)?.label).toBe('image 2');
		expect(imageWhereDownloadStopped(photos, 599)?.label).toBe('image 3');
		expect(imageWhereDownloadStopped(photos, 600)).toBeUndefined();
		expect(imageWhereDownloadStopped(photos, undefined)).toBeUndefined();
	});
});
