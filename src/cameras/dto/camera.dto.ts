import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, IsUUID, Length, ValidateIf } from 'class-validator';
import { NAME, TIMESTAMP, UUID } from '../../common/api-docs';
import { PaginationQuery, TOTAL } from '../../common/pagination.dto';
import { IsOmittable } from '../../common/omittable.decorator';
import { trim } from '../../sites/dto/site.dto';

export class CreateCameraDto {
  @ApiProperty({ ...NAME, example: 'Dock door 3' })
  @Transform(trim)
  @IsString()
  @Length(1, 100)
  name: string;

  @ApiProperty({ ...UUID, description: "Must exist in caller's org" })
  @IsUUID('all')
  site_id: string;

  @ApiPropertyOptional({ ...UUID, type: String, nullable: true, description: 'The gateway that records this camera' })
  @IsOptional()
  @IsUUID('all')
  gateway_id?: string | null;
}

export class UpdateCameraDto {
  @ApiPropertyOptional(NAME)
  @IsOmittable()
  @Transform(trim)
  @IsString()
  @Length(1, 100)
  name?: string;

  @ApiPropertyOptional(UUID)
  @IsOmittable()
  @IsUUID('all')
  site_id?: string;

  @ApiPropertyOptional({ ...UUID, type: String, nullable: true, description: 'null unbinds the camera from its gateway' })
  @ValidateIf((_, v) => v !== null)
  @IsOptional()
  @IsUUID('all')
  gateway_id?: string | null;
}

export class ListCamerasQuery extends PaginationQuery {
  @ApiPropertyOptional(UUID)
  @IsOptional()
  @IsUUID('all')
  site_id?: string;

  @ApiPropertyOptional(UUID)
  @IsOptional()
  @IsUUID('all')
  gateway_id?: string;
}

export class CameraResponse {
  @ApiProperty(UUID) id: string;
  @ApiProperty(NAME) name: string;
  @ApiProperty(UUID) site_id: string;
  @ApiProperty({ ...UUID, nullable: true, type: String }) gateway_id: string | null;
  @ApiProperty(TIMESTAMP) created_at: string;
}

export class CameraListResponse {
  @ApiProperty({ type: [CameraResponse], maxItems: 1000, description: 'At most `limit` cameras' }) data: CameraResponse[];
  @ApiProperty(TOTAL) total: number;
}
