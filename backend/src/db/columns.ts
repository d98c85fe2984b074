import { DataTypes, literal, type ModelAttributeColumnOptions } from 'sequelize';

// Column shapes shared by migrations. Defaults live in the database (not only in Sequelize),
// so raw SQL inserts, seeds and other tools get the same behaviour.
export function uuidPrimaryKey(): ModelAttributeColumnOptions {
  return { type: DataTypes.UUID, primaryKey: true, allowNull: false, defaultValue: literal('gen_random_uuid()') };
}

export function timestamps(): Record<'created_at' | 'updated_at', ModelAttributeColumnOptions> {
  return {
    created_at: { type: DataTypes.DATE, allowNull: false, defaultValue: literal('now()') },
    updated_at: { type: DataTypes.DATE, allowNull: false, defaultValue: literal('now()') },
  };
}
