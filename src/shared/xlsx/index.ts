export * from './expr'
export * from './formulas'
export * from './styles'
export * from './workbook'
