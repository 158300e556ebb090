// Data source for the TypeORM CLI (migration:generate / migration:show); needs DATABASE_URL.
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/config';
import { appDataSourceOptions } from '../data-source';

const config = loadConfig();
if (!config.DATABASE_URL) throw new Error('DATABASE_URL must be set for the TypeORM CLI');
export default new DataSource(appDataSourceOptions(config, config.DATABASE_URL));
